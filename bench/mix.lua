-- wrk request mix for `make bench`. Usage: wrk ... -s bench/mix.lua -- <scenario> <targets.lua>
-- Scenarios: search_page1 search_page2_5 search_deep detail_id detail_vin stock_prefix
--            vin_tail update_price mix; bare_view (bench/bare_view.py's floor). Targets are chosen with a seeded RNG per thread.

local scenario, counter, thread_index = "mix", 0, 0
local threads = {}

function setup(thread)
  thread_index = thread_index + 1
  thread:set("id", thread_index)
  table.insert(threads, thread)
end

function init(args)
  scenario = args[1] or "mix"
  dofile(args[2] or "bench/results/targets.lua")
  math.randomseed(1000 + id)
  -- Each thread updates its own slice of vehicles, so If-Match versions stay current.
  slice_start = (id - 1) * 20000
  -- The mix's updates use vehicles the update_price scenario did not touch (fresh versions).
  counter = scenario == "mix" and 10000 or 0
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Host"] = "127.0.0.1"
end

local function pick(list) return list[math.random(#list)] end

local builders = {}
builders.search_page1 = function() return wrk.format("GET", "/api/v1/vehicles?" .. search) end
-- bench/bare_view.py answers every path with page 1 (no auth, no middleware).
builders.bare_view = function() return wrk.format("GET", "/bare") end
builders.search_page2_5 = function()
  return wrk.format("GET", "/api/v1/vehicles?" .. search .. "&cursor=" .. pick(cursors))
end
builders.search_deep = function()
  return wrk.format("GET", "/api/v1/vehicles?" .. search .. "&cursor=" .. pick(deep))
end
builders.detail_id = function() return wrk.format("GET", "/api/v1/vehicles/" .. pick(ids)) end
builders.detail_vin = function() return wrk.format("GET", "/api/v1/vehicles/by-vin/" .. pick(vins)) end
builders.stock_prefix = function()
  return wrk.format("GET", "/api/v1/vehicles?limit=25&q=" .. pick(stock_prefixes))
end
builders.vin_tail = function() return wrk.format("GET", "/api/v1/vehicles?limit=25&q=" .. pick(vin_tails)) end
builders.update_price = function()
  counter = counter + 1
  local i = slice_start + counter
  local price = string.format("%d.00", 15000 + math.random(10000))
  -- wrk.format uses wrk.headers only when no headers are passed: set them there.
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["If-Match"] = '"' .. update_versions[i] .. '"'
  local req = wrk.format("POST", "/api/v1/vehicles/" .. update_ids[i] .. "/price", nil,
    '{"list_price": "' .. price .. '"}')
  wrk.headers["Content-Type"] = nil
  wrk.headers["If-Match"] = nil
  return req
end
local mix = {
  {"search_page1", 30}, {"search_page2_5", 15}, {"search_deep", 5}, {"detail_id", 20},
  {"detail_vin", 10}, {"stock_prefix", 7}, {"vin_tail", 8}, {"update_price", 5},
}
builders.mix = function()
  local r, acc = math.random(100), 0
  for _, entry in ipairs(mix) do
    acc = acc + entry[2]
    if r <= acc then return builders[entry[1]]() end
  end
  return builders.search_page1()
end

function request() return builders[scenario]() end

-- Every answer outside 2xx counts (wrk's own errors.status misses 3xx such as redirects).
bad = 0
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do non2xx = non2xx + (thread:get("bad") or 0) end
  local out = io.open(os.getenv("WRK_JSON") or "/dev/stdout", "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "rps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_timeout": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, non2xx))
  out:close()
end
