// The event-stream parser: events split anywhere across chunks, several data lines, comments, CRLF.
import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../../app/networks/dvpn/sse.js';

describe('SseParser', () => {
  it('myst\'s shape: one data line per event, a blank line after it', () => {
    const parser = new SseParser();
    expect(parser.push('data: {"type":"state-change","payload":{}}\n\n')).toEqual([{ event: 'message', data: '{"type":"state-change","payload":{}}' }]);
  });

  it('an event split across chunks, even inside CRLF, comes out whole and once', () => {
    const parser = new SseParser();
    const text = 'data: {"a":\r\ndata: 1}\r\n\r\n';
    const events = [...text].flatMap((char) => parser.push(char));
    expect(events).toEqual([{ event: 'message', data: '{"a":\n1}' }]);
  });

  it('event names, ids and comments; a blank line without data dispatches nothing', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nevent: state\nid: 7\ndata:x\n\ndata\n\n')).toEqual([
      { event: 'state', data: 'x', id: '7' },
      { event: 'message', data: '', id: '7' },
    ]);
  });

  it('refuses an endless line', () => {
    const parser = new SseParser();
    expect(() => parser.push('data: '.padEnd(2 * 1024 * 1024, 'x'))).toThrow(/too long/);
  });
});
