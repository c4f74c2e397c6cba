// Lua scripts run atomically inside Redis: no other command interleaves with them.

/** KEYS[1] = key, ARGV[1] = expected JSON. Deletes only when the stored string equals it. */
export const DELETE_IF_EQUALS = `
if redis.call('TYPE', KEYS[1]).ok ~= 'string' then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS[1] = key, ARGV[1] = amount, ARGV[2] = TTL in ms or ''. The TTL is set only on creation. */
export const INCREMENT = `
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if created and ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

/** KEYS[1] = key, ARGV[1] = JSON item, ARGV[2] = TTL in ms or ''. The TTL is set only on creation. */
export const APPEND = `
local length = redis.call('RPUSH', KEYS[1], ARGV[1])
if length == 1 and ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return length`;
