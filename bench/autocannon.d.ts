// Minimal typing of the autocannon API used by bench/http.ts.
declare module "autocannon" {
  interface Request { method?: string; path?: string; headers?: Record<string, string>; body?: string }
  interface RequestSpec extends Request {
    /** Called before each request is sent; returns the request to send (e.g. with a fresh token). */
    setupRequest?: (request: Request) => Request;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: RequestSpec[];
  }
  interface Histogram { average: number; total: number; p50: number; p97_5: number; p99: number }
  interface Result { requests: Histogram; latency: Histogram; errors: number; non2xx: number; timeouts: number }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
