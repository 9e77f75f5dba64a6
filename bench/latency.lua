-- wrk reporter: one JSON line with latency percentiles (ms), requests and errors.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"p50": %.3f, "p95": %.3f, "p99": %.3f, "mean": %.3f, "requests": %d, ' ..
    '"duration_s": %.3f, "non2xx": %d, "socket_errors": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000, summary.requests,
    summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout))
end
