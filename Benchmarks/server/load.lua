-- wrk's script for Benchmarks/server: POST /get-online-features for the driver_activity service,
-- ENTITIES entity rows per request drawn uniformly from DRIVERS drivers and CUSTOMERS customers
-- (1,000 request bodies made up front per thread, so that Lua costs little per request).
-- DELAY_MS paces each connection (connections x 1000 / DELAY_MS ≈ requests per second);
-- TARGETS ("host:port,host:port") gives each wrk thread its own server in turn.
-- Prints one JSON line at the end: requests, errors, non-2xx answers and latency percentiles (µs).

local entities = tonumber(os.getenv("ENTITIES") or "1")
local drivers = tonumber(os.getenv("DRIVERS") or "10000")
local customers = tonumber(os.getenv("CUSTOMERS") or "10000")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")

local threads = {}
local counter = 0

setup = function(thread)
    local targets = os.getenv("TARGETS")
    if targets then
        local list = {}
        for target in string.gmatch(targets, "[^,]+") do table.insert(list, target) end
        local host, port = list[counter % #list + 1]:match("([^:]+):(%d+)")
        thread.addr = wrk.lookup(host, port)[1]
    end
    thread:set("id", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

local requests = {}
local position = 0

init = function(args)
    math.randomseed(os.time() * 1000 + (id or 0))
    for i = 1, 1000 do
        local d, c = {}, {}
        for j = 1, entities do
            d[j] = tostring(1000 + math.random(drivers))
            c[j] = '"C' .. tostring(1000 + math.random(customers)) .. '"'
        end
        local body = '{"feature_service":"driver_activity","entities":{"driver_id":[' .. table.concat(d, ",")
            .. '],"customer_id":[' .. table.concat(c, ",") .. ']}}'
        requests[i] = wrk.format("POST", "/get-online-features", {["Content-Type"] = "application/json"}, body)
    end
end

request = function()
    position = position % 1000 + 1
    return requests[position]
end

if delay_ms > 0 then
    delay = function() return delay_ms end
end

done = function(summary, latency, _)
    local e = summary.errors
    io.write(string.format(
        '{"requests": %d, "seconds": %.3f, "socket_errors": %d, "non_2xx": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
        summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
        latency:percentile(50), latency:percentile(99), latency.max))
end
