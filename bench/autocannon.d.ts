/** The part of autocannon's API that bench/abuse.ts uses (the package ships no types). */
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      connections?: number;
      duration?: number;
      /** Stop after this many requests instead of after `duration` (bench/cockpit.ts). */
      amount?: number;
      timeout?: number;
      headers?: Record<string, string>;
      body?: string;
    }
    interface Result {
      requests: { average: number };
      latency: { p50: number; p99: number };
      errors: number;
      timeouts: number;
    }
    interface Instance {
      on(event: 'response', fn: (client: unknown, statusCode: number, bytes: number, time: number) => void): void;
      on(event: 'reqError', fn: (err: Error) => void): void;
    }
  }
  function autocannon(
    opts: autocannon.Options,
    cb: (err: Error | null, res: autocannon.Result) => void,
  ): autocannon.Instance;
  export default autocannon;
}
