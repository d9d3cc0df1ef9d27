-- POST /api/v1/notifications/email with a small valid email (queued: 202), reported by report.lua.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"to":"bench@example.com","subject":"benchmark","content":"A short text body of a benchmark email."}'
dofile("bench/wrk/report.lua")
