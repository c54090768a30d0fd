// Minimal typing of the autocannon API used by bench/http.ts.
declare module "autocannon" {
  interface Options { url: string; connections?: number; duration?: number; method?: string; headers?: Record<string, string>; body?: string }
  interface Histogram { average: number; p50: number; p97_5: number; p99: number }
  interface Result { requests: Histogram; latency: Histogram; errors: number; non2xx: number; timeouts: number }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
