// The stand-in mixnet's reassembly: chunks of one stream come out in the order they went in, whatever
// delay each drew, also when they are scheduled in one busy tick (where Node's timers, armed from the
// event loop's cached clock, would let a later chunk, such as the stream's close, overtake its data).
import { describe, expect, it } from 'vitest';
import { OrderedDelay } from '../../lab/standins/nym-frames.js';

function busyFor(ms: number): void {
  const start = performance.now();
  while (performance.now() - start < ms);
}

describe('OrderedDelay (stand-in mixnet)', () => {
  it('delivers 50 streams of 20 chunks each in order, with random delays drawn in one busy tick', async () => {
    const disorders: number[][] = [];
    for (let run = 0; run < 50; run++) {
      const delay = new OrderedDelay();
      const got: number[] = [];
      await new Promise<void>((done) => {
        for (let i = 0; i < 20; i++) {
          busyFor(0.3);
          delay.schedule(Math.random() * 3000, () => {
            got.push(i);
            if (got.length === 20) done();
          });
        }
      });
      if (got.some((value, index) => value !== index)) disorders.push(got);
    }
    expect(disorders).toEqual([]);
  });

  it('holds each chunk at least its own delay', async () => {
    const delay = new OrderedDelay();
    const start = performance.now();
    const at = await new Promise<number>((done) => delay.schedule(20_000, () => done(performance.now())));
    expect(at - start).toBeGreaterThanOrEqual(19.5);
  });
});
