// Deterministic data generators: calendar, prices, options math, symbology.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { earlyCloseMinute, etToUtc, formatEt, holidays, isTradingDay } from '../data/calendar.mjs';
import { parseCandleSymbol } from '../data/candles.mjs';
import { INSTRUMENTS } from '../data/instruments.mjs';
import {
  blackScholes,
  expirations,
  occSymbol,
  parseOcc,
  parseStreamer,
  schwabOptionCusip,
  streamerSymbol,
} from '../data/options.mjs';
import { dayBar, dayBars, minuteCandles, underlyingQuote } from '../data/prices.mjs';

describe('calendar', () => {
  it('knows NYSE holidays and early closes', () => {
    const h2025 = [...holidays(2025).keys()];
    assert.deepEqual(h2025, [
      '2025-01-01',
      '2025-01-20',
      '2025-02-17',
      '2025-04-18',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ]);
    assert.equal(isTradingDay('2025-07-04'), false);
    assert.equal(isTradingDay('2025-07-05'), false);
    assert.equal(isTradingDay('2025-07-07'), true);
    assert.equal(earlyCloseMinute('2025-11-28'), 13 * 60);
    assert.equal(earlyCloseMinute('2025-11-26'), null);
  });

  it('converts Eastern time across daylight saving', () => {
    assert.equal(etToUtc('2025-01-15', 9, 30), Date.UTC(2025, 0, 15, 14, 30));
    assert.equal(etToUtc('2025-07-15', 9, 30), Date.UTC(2025, 6, 15, 13, 30));
    assert.equal(formatEt(Date.UTC(2022, 3, 14, 13, 30)), '2022-04-14T09:30:00-04:00');
  });
});

describe('prices', () => {
  it('are deterministic and stay within the documented band around the base price', () => {
    for (const inst of INSTRUMENTS.filter((i) => i.kind !== 'mmf')) {
      const bars = dayBars(inst.symbol, '2016-01-01', '2026-12-31');
      for (const b of bars) {
        assert.ok(
          b.low >= inst.base * 0.6 && b.high <= inst.base * 1.6,
          `${inst.symbol} ${b.date} ${b.low}..${b.high}`,
        );
        assert.ok(b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close));
      }
    }
    const t = Date.UTC(2025, 2, 12, 16, 0);
    assert.deepEqual(underlyingQuote('AAPL', t), underlyingQuote('AAPL', t));
  });

  it('minute candles roll up exactly into the daily bar', () => {
    const day = '2025-03-12';
    const bar = dayBar('MSFT', day);
    const mins = minuteCandles('MSFT', day);
    assert.equal(mins.length, 390);
    assert.equal(mins[0].open, bar.open);
    assert.equal(mins[mins.length - 1].close, bar.close);
    assert.ok(Math.abs(Math.max(...mins.map((c) => c.high)) - bar.high) < 1e-9);
    assert.ok(Math.abs(Math.min(...mins.map((c) => c.low)) - bar.low) < 1e-9);
    const ext = minuteCandles('MSFT', day, { extended: true });
    assert.equal(ext.length, 150 + 390 + 240);
    assert.equal(ext[0].time, etToUtc(day, 7, 0));
  });

  it('quotes in session follow the minute path', () => {
    const t = etToUtc('2025-03-12', 11, 0);
    const q = underlyingQuote('NVDA', t);
    const mins = minuteCandles('NVDA', '2025-03-12', { untilMs: t });
    assert.equal(q.state, 'OPEN');
    assert.equal(q.last, Math.round(mins[mins.length - 1].close * 100) / 100);
  });
});

describe('options', () => {
  it('Black–Scholes matches the textbook value and put-call parity', () => {
    const c = blackScholes({ S: 100, K: 100, T: 1, r: 0.05, q: 0, sigma: 0.2, call: true });
    const p = blackScholes({ S: 100, K: 100, T: 1, r: 0.05, q: 0, sigma: 0.2, call: false });
    assert.ok(Math.abs(c.price - 10.4506) < 1e-3);
    assert.ok(Math.abs(c.price - p.price - (100 - 100 * Math.exp(-0.05))) < 1e-6);
    assert.ok(Math.abs(c.delta - p.delta - 1) < 1e-9);
  });

  it('symbology round-trips', () => {
    assert.equal(occSymbol('AAPL', '2026-06-15', true, 255), 'AAPL  260615C00255000');
    assert.equal(streamerSymbol('SPY', '2026-06-15', true, 512.5), '.SPY260615C512.5');
    assert.equal(schwabOptionCusip('AMAT', '2024-11-15', true, 210), '0AMAT.KF40210000');
    assert.deepEqual(parseOcc('AAPL  260615C00255000'), {
      root: 'AAPL',
      underlying: 'AAPL',
      expDate: '2026-06-15',
      call: true,
      strike: 255,
    });
    assert.deepEqual(parseStreamer('.SPXW261218P5700'), {
      root: 'SPXW',
      underlying: '$SPX',
      expDate: '2026-12-18',
      call: false,
      strike: 5700,
    });
  });

  it('lists weeklies, monthlies and SPX AM-settled monthlies', () => {
    const list = expirations('$SPX', '2025-03-10');
    assert.ok(
      list.some((e) => e.root === 'SPX' && e.settlement === 'A' && e.date === '2025-03-21'),
    );
    assert.ok(list.some((e) => e.root === 'SPXW' && e.date === '2025-03-11'));
    const aapl = expirations('AAPL', '2025-03-10');
    assert.ok(aapl.every((e) => isTradingDay(e.date)));
    assert.ok(
      aapl.some((e) => e.date === '2025-04-17'),
      'Good Friday expiration moves to Thursday',
    );
  });

  it('candle symbols are canonicalised', () => {
    assert.equal(parseCandleSymbol('AAPL{=1d}').canonical, 'AAPL{=d}');
    assert.equal(parseCandleSymbol('SPX{=1h}').canonical, 'SPX{=h}');
    assert.equal(parseCandleSymbol('AAPL{=5m,tho=true}').canonical, 'AAPL{=5m,tho=true}');
    assert.equal(parseCandleSymbol('AAPL{=5m,tho=true}').regularOnly, true);
    assert.equal(parseCandleSymbol('AAPL'), null);
  });
});
