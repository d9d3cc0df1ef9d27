-- The same email with ?wait=true: sent at once through the provider, answered 200.
dofile("bench/wrk/post-email.lua")
wrk.path = "/api/v1/notifications/email?wait=true"
