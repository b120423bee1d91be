// The sandbox's universe of tradable symbols and their static reference data
// (names, CUSIPs, exchanges, base prices, volatility, dividends, fundamentals).
// Prices generated in data/prices.mjs wander around `base`.

// kind: 'stock' | 'etf' | 'index' | 'mmf'
// exch: Schwab exchange code and name; tt: tastytrade listed market
const LIST = [
  [
    'AAPL',
    'Apple Inc',
    'stock',
    '037833100',
    'Q',
    'NASDAQ',
    230,
    0.26,
    0.0044,
    1.08,
    6.6,
    15.2e9,
    52e6,
    1973757747,
  ],
  [
    'MSFT',
    'Microsoft Corp',
    'stock',
    '594918104',
    'Q',
    'NASDAQ',
    420,
    0.24,
    0.0075,
    0.9,
    12.1,
    7.43e9,
    21e6,
    1516105793,
  ],
  [
    'NVDA',
    'NVIDIA Corp',
    'stock',
    '67066G104',
    'Q',
    'NASDAQ',
    130,
    0.5,
    0.0003,
    1.7,
    2.5,
    24.5e9,
    250e6,
    1539108063,
  ],
  [
    'AMZN',
    'Amazon.com Inc',
    'stock',
    '023135106',
    'Q',
    'NASDAQ',
    190,
    0.32,
    0,
    1.15,
    4.2,
    10.5e9,
    40e6,
    1450133207,
  ],
  [
    'GOOGL',
    'Alphabet Inc Class A',
    'stock',
    '02079K305',
    'Q',
    'NASDAQ',
    170,
    0.3,
    0.0047,
    1.02,
    7.5,
    5.8e9,
    28e6,
    1541155282,
  ],
  [
    'META',
    'Meta Platforms Inc',
    'stock',
    '30303M102',
    'Q',
    'NASDAQ',
    560,
    0.38,
    0.0036,
    1.21,
    21.2,
    2.53e9,
    14e6,
    1826117232,
  ],
  [
    'TSLA',
    'Tesla Inc',
    'stock',
    '88160R101',
    'Q',
    'NASDAQ',
    250,
    0.6,
    0,
    2.3,
    3.6,
    3.2e9,
    95e6,
    1514120962,
  ],
  [
    'AMD',
    'Advanced Micro Devices Inc',
    'stock',
    '007903107',
    'Q',
    'NASDAQ',
    150,
    0.48,
    0,
    1.65,
    1.2,
    1.62e9,
    45e6,
    1407129913,
  ],
  [
    'INTC',
    'Intel Corp',
    'stock',
    '458140100',
    'Q',
    'NASDAQ',
    22,
    0.45,
    0.0,
    1.05,
    -4.4,
    4.3e9,
    60e6,
    1437114934,
  ],
  [
    'AMAT',
    'Applied Materials Inc',
    'stock',
    '038222105',
    'Q',
    'NASDAQ',
    190,
    0.42,
    0.0084,
    1.55,
    8.6,
    0.83e9,
    6e6,
    1390132082,
  ],
  [
    'NFLX',
    'Netflix Inc',
    'stock',
    '64110L106',
    'Q',
    'NASDAQ',
    700,
    0.38,
    0,
    1.25,
    17.7,
    0.43e9,
    3.5e6,
    1606140283,
  ],
  [
    'JPM',
    'JPMorgan Chase & Co',
    'stock',
    '46625H100',
    'N',
    'NYSE',
    220,
    0.22,
    0.0225,
    1.1,
    17.9,
    2.85e9,
    9e6,
    1438117005,
  ],
  [
    'BAC',
    'Bank Of America Corp',
    'stock',
    '060505104',
    'N',
    'NYSE',
    40,
    0.27,
    0.026,
    1.32,
    3.2,
    7.8e9,
    38e6,
    1360010064,
  ],
  [
    'KO',
    'Coca-Cola Co',
    'stock',
    '191216100',
    'N',
    'NYSE',
    68,
    0.16,
    0.0285,
    0.6,
    2.5,
    4.31e9,
    13e6,
    1390115083,
  ],
  [
    'XOM',
    'Exxon Mobil Corp',
    'stock',
    '30231G102',
    'N',
    'NYSE',
    115,
    0.24,
    0.033,
    0.88,
    8.0,
    4.4e9,
    16e6,
    1530103003,
  ],
  [
    'CVS',
    'Cvs Health Corp',
    'stock',
    '126650100',
    'N',
    'NYSE',
    58,
    0.32,
    0.046,
    0.55,
    5.0,
    1.26e9,
    11e6,
    1383108034,
  ],
  [
    'DIS',
    'Walt Disney Co',
    'stock',
    '254687106',
    'N',
    'NYSE',
    95,
    0.28,
    0.0095,
    1.4,
    2.7,
    1.81e9,
    10e6,
    1395147812,
  ],
  [
    'SPY',
    'SPDR S&P 500 ETF',
    'etf',
    '78462F103',
    'P',
    'NYSE Arca',
    570,
    0.15,
    0.0122,
    1.0,
    0,
    0.92e9,
    55e6,
    1281357639,
  ],
  [
    'QQQ',
    'Invesco QQQ Trust',
    'etf',
    '46090E103',
    'Q',
    'NASDAQ',
    490,
    0.2,
    0.0057,
    1.12,
    0,
    0.58e9,
    35e6,
    1260158011,
  ],
  [
    'IWM',
    'iShares Russell 2000 ETF',
    'etf',
    '464287655',
    'P',
    'NYSE Arca',
    220,
    0.22,
    0.0111,
    1.18,
    0,
    0.28e9,
    28e6,
    1290179044,
  ],
  [
    'VTI',
    'Vanguard Total Stock Market ETF',
    'etf',
    '922908769',
    'P',
    'NYSE Arca',
    280,
    0.15,
    0.0132,
    1.02,
    0,
    1.47e9,
    3.4e6,
    1410161001,
  ],
  [
    'GLD',
    'SPDR Gold Shares',
    'etf',
    '78463V107',
    'P',
    'NYSE Arca',
    240,
    0.16,
    0,
    0.12,
    0,
    0.3e9,
    7e6,
    1304152010,
  ],
  [
    'TLT',
    'iShares 20+ Year Treasury Bond ETF',
    'etf',
    '464287432',
    'Q',
    'NASDAQ',
    95,
    0.17,
    0.04,
    -0.2,
    0,
    0.55e9,
    38e6,
    1280174022,
  ],
  [
    'SCHD',
    'Schwab US Dividend Equity ETF',
    'etf',
    '808524797',
    'P',
    'NYSE Arca',
    28,
    0.14,
    0.035,
    0.78,
    0,
    2.4e9,
    12e6,
    1740171305,
  ],
  ['$SPX', 'S&P 500 INDEX', 'index', '', '0', 'Index', 5700, 0.15, 0, 1, 0, 0, 0, 1819771877],
  [
    '$DJI',
    'Dow Jones Industrial Average',
    'index',
    '',
    '0',
    'Index',
    42000,
    0.14,
    0,
    1,
    0,
    0,
    0,
    1819771800,
  ],
  ['$COMPX', 'NASDAQ Composite', 'index', '', '0', 'Index', 18000, 0.2, 0, 1, 0, 0, 0, 1819771811],
  [
    '$VIX',
    'CBOE Volatility Index',
    'index',
    '',
    '0',
    'Index',
    16,
    0.85,
    0,
    -4,
    0,
    0,
    0,
    1819771855,
  ],
  [
    'SWVXX',
    'Schwab Prime Advantage Money Fund',
    'mmf',
    '808515779',
    'm',
    'MUTUAL_FUND',
    1,
    0,
    0.049,
    0,
    0,
    0,
    0,
    1100100100,
  ],
];

function build([
  symbol,
  description,
  kind,
  cusip,
  exchange,
  exchangeName,
  base,
  iv,
  divYield,
  beta,
  eps,
  shares,
  avgVolume,
  ssid,
]) {
  const isIndex = kind === 'index';
  const ttSymbol = isIndex ? symbol.slice(1) : symbol; // tastytrade spells indices without '$'
  return {
    symbol,
    ttSymbol,
    description,
    kind,
    cusip,
    exchange,
    exchangeName,
    base,
    iv,
    divYield,
    beta,
    eps,
    sharesOutstanding: shares,
    avgVolume,
    ssid,
    optionable: kind === 'stock' || kind === 'etf' || symbol === '$SPX' || symbol === '$VIX',
    marketCap: Math.round(base * shares),
  };
}

export const INSTRUMENTS = LIST.map(build);

const bySymbol = new Map();
for (const inst of INSTRUMENTS) {
  bySymbol.set(inst.symbol, inst);
  bySymbol.set(inst.ttSymbol, inst);
}
bySymbol.set('SPX', bySymbol.get('$SPX'));
bySymbol.set('VIX', bySymbol.get('$VIX'));

/** Looks an instrument up by Schwab or tastytrade spelling (case-insensitive). */
export function findInstrument(symbol) {
  if (!symbol) return null;
  return bySymbol.get(String(symbol).toUpperCase()) || null;
}

export function findByCusip(cusip) {
  return INSTRUMENTS.find((i) => i.cusip && i.cusip === String(cusip).toUpperCase()) || null;
}

/** Annual dividend per share at a reference price. */
export function annualDividend(inst, price = inst.base) {
  return Math.round(inst.divYield * price * 100) / 100;
}

/** Quarterly dividend dates near a day: ex dates on the 10th of Feb/May/Aug/Nov. */
export function dividendSchedule(inst, fromYear, toYear) {
  if (!inst.divYield || inst.kind === 'index' || inst.kind === 'mmf') return [];
  const out = [];
  const perPayment = Math.round((inst.divYield * inst.base * 100) / 4) / 100;
  for (let y = fromYear; y <= toYear; y++) {
    for (const m of [2, 5, 8, 11]) {
      const ex = `${y}-${String(m).padStart(2, '0')}-10`;
      const pay = `${y}-${String(m).padStart(2, '0')}-24`;
      const decl = `${y}-${String(m - 1).padStart(2, '0')}-25`;
      out.push({ exDate: ex, payDate: pay, declarationDate: decl, amount: perPayment });
    }
  }
  return out;
}

/** Next earnings report date after `date` (quarterly, staggered per symbol). */
export function nextEarningsDate(inst, date) {
  if (inst.kind !== 'stock') return null;
  const [y] = date.split('-').map(Number);
  const offset = (inst.symbol.charCodeAt(0) + inst.symbol.length * 3) % 20; // day offset in month
  for (let yy = y; yy <= y + 1; yy++) {
    for (const m of [1, 4, 7, 10]) {
      const day = 15 + (offset % 14);
      const d = `${yy}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      if (d > date) return d;
    }
  }
  return null;
}

export function previousEarningsDates(inst, date, count) {
  if (inst.kind !== 'stock') return [];
  const out = [];
  const [y] = date.split('-').map(Number);
  const offset = (inst.symbol.charCodeAt(0) + inst.symbol.length * 3) % 20;
  for (let yy = y; yy >= y - 3 && out.length < count; yy--) {
    for (const m of [10, 7, 4, 1]) {
      const day = 15 + (offset % 14);
      const d = `${yy}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      if (d <= date && out.length < count) out.push(d);
    }
  }
  return out;
}
