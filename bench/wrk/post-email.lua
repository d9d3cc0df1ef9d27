-- POST /api/v1/notifications/email with a small valid email (queued: 202; with ?wait=true: 200).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"to":"bench@example.com","subject":"benchmark","content":"A short text body of a benchmark email."}'
-- Prints one JSON line at the end of a wrk run: requests, duration, errors and latency percentiles.
-- With PACE_MS set, each connection waits that long before each request (an open-loop-like fixed rate:
-- connections / (PACE_MS + latency) requests per second).
local pace = tonumber(os.getenv("PACE_MS") or "0")

if pace > 0 then
  delay = function()
    return pace
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests":%d,"durationUs":%d,"socketErrors":%d,"non2xx":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"p999Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
