-- wrk reports its results as one line of JSON after its usual summary, for wrk.py to
-- read: exact counts and latencies in microseconds rather than rounded, unit-suffixed text.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH-RESULT {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p99_us\": %d, " ..
    "\"errors\": %d, \"non_2xx\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status
  ))
end
