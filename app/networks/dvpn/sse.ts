// Server-sent events (the text/event-stream format of the HTML standard) as myst's `GET /events/state`
// sends them: `data:` lines (several are joined with newlines), `event:` and `id:` fields, `:` comments,
// a blank line ending each event. The parser is pure; `followEvents` reads a live stream with fetch.

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

const MAX_BUFFER = 1024 * 1024;

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  /** Feed text as it arrives; returns the events completed by it. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    if (this.buffer.length > MAX_BUFFER) throw new Error('an event stream line is too long');
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (match === null) break;
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return undefined;
      }
      const event: SseEvent = { event: this.event === '' ? 'message' : this.event, data: this.data.join('\n'), ...(this.id === undefined ? {} : { id: this.id }) };
      this.data = [];
      this.event = '';
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\u0000')) this.id = value;
    return undefined;
  }
}

/** Reads an event stream until it ends or `signal` aborts; resolves when it ends, rejects on errors. */
export async function followEvents(url: string, headers: Record<string, string>, onEvent: (event: SseEvent) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { headers: { ...headers, Accept: 'text/event-stream' }, signal });
  if (!response.ok || response.body === null) throw new Error(`the event stream answered ${response.status}`);
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) onEvent(event);
    }
  } finally {
    reader.releaseLock();
  }
}
