// JS_ functions of the tracker core. lib/ validates every argument before calling; these only assert
// shapes. Their failures become JS exceptions with a code at the error boundary (error_boundary.hpp).
#include <napi.h>

#include <algorithm>

#include "../collector.hpp"
#include "../producer.hpp"
#include "environments.hpp"
#include "modules.hpp"

namespace tt_alloc::js {
namespace {

uint64_t GetU64(const Napi::Object& o, const char* key) {
  return uint64_t(o.Get(key).As<Napi::Number>().Int64Value());
}

// enable({ ringCapacity, spillCapacity, overflow: 'drop' | 'block', record?: path | false, owner })
// record: undefined keeps recording as it is, false stops it, a path records there. owner: a label
// of the calling environment for ERR_TRACKER_OWNED messages.
Napi::Value JS_enable(const Napi::CallbackInfo& info) {
  Napi::Object opts = info[0].As<Napi::Object>();
  CollectorConfig config{};
  config.ring_capacity = GetU64(opts, "ringCapacity");
  config.spill_capacity = GetU64(opts, "spillCapacity");
  config.overflow = opts.Get("overflow").As<Napi::String>().Utf8Value() == "block" ? Overflow::Block : Overflow::Drop;
  const Napi::Value record = opts.Get("record");
  if (record.IsString()) {
    config.record = RecordMode::Start;
    config.record_path = record.As<Napi::String>().Utf8Value();
  } else if (record.IsBoolean()) {
    config.record = RecordMode::Stop;
  }
  // Optional for direct addon users; lib/ always names the environment.
  const Napi::Value label = opts.Get("owner");
  const std::string owner = label.IsString() ? label.As<Napi::String>().Utf8Value() : "";
  // A journal that cannot be opened or reserved (JournalOpenError, RecordSpaceError) reaches JS through
  // the boundary's table; running out of memory is said here, where the ring's size is known.
  try {
    EnableFrom(info.Env(), owner, config);
  } catch (const std::bad_alloc&) {
    throw CodedFailure(code::kOutOfMemory, "tt-alloc-tracker: out of memory allocating a ring of " +
                                               std::to_string(config.ring_capacity) + " events");
  }
  return info.Env().Undefined();
}

Napi::Value JS_disable(const Napi::CallbackInfo& info) {
  DisableFrom(info.Env());
  return info.Env().Undefined();
}

Napi::Value JS_isEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tracking_enabled());
}

// One call returns every event published so far: an array holding one ArrayBuffer of 64-byte records
// (an array so that a later format may return several without an API change). Empty in an
// environment that does not own the event stream (environments.hpp). drain(true): the tracker is
// resetting; the journal marks the point.
Napi::Value JS_drain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::ArrayBuffer buffer;
  const bool reset = info.Length() > 0 && info[0].ToBoolean();
  DrainFrom(env, reset, [&](size_t bytes) {
    buffer = Napi::ArrayBuffer::New(env, bytes);
    return buffer.Data();
  });
  Napi::Array out = Napi::Array::New(env, 1);
  out.Set(uint32_t(0), buffer);
  return out;
}

// Fresh drain buffers up to this size are rounded up to a power of two, so the JS side can keep one as
// its scratch for later drains (lib/drain.ts, which drains in slices that fit it); larger ones are exact.
constexpr size_t kScratchMaxBytes = size_t(1) << 20;

size_t ScratchSize(size_t bytes) {
  if (bytes > kScratchMaxBytes) return bytes;
  size_t size = size_t(64) << 10;
  while (size < bytes) size <<= 1;
  return size;
}

// drainInto(scratch, reset, maxEvents) → [view, remaining]: a Uint8Array over the oldest pending events,
// at most maxEvents (>= 16,384; whole spill chunks; all of them with `reset`), in `scratch` when they fit,
// else in a fresh ArrayBuffer (see ScratchSize) the caller may keep as its next scratch; and how many
// events were still pending after them. Reusing one buffer spares a large zero-filled allocation per
// drain and its page faults; the caller must be done with the previous view before the next call.
Napi::Value JS_drainInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::ArrayBuffer buffer = info[0].As<Napi::ArrayBuffer>();
  const bool reset = info[1].ToBoolean();
  const size_t max_events = std::max<size_t>(info[2].As<Napi::Number>().Int64Value(), Chunk::kEvents);
  size_t bytes = 0;
  uint64_t remaining = 0;
  DrainFrom(env, reset, [&](size_t size) {
    bytes = size;
    if (size > buffer.ByteLength()) buffer = Napi::ArrayBuffer::New(env, ScratchSize(size));
    return buffer.Data();
  }, max_events, &remaining);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(uint32_t(0), Napi::Uint8Array::New(env, bytes, buffer, 0));
  out.Set(uint32_t(1), double(remaining));
  return out;
}

Napi::Value JS_stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Stats s = Collector::instance().stats();
  Napi::Object o = Napi::Object::New(env);
  o.Set("accepted", double(s.accepted));
  o.Set("dropped", double(s.dropped));
  o.Set("pushed", double(s.accepted + s.dropped));
  o.Set("drained", double(s.drained));
  o.Set("discarded", double(s.discarded));
  o.Set("buffered", double(s.buffered));
  o.Set("ringHighWater", double(s.ring_high_water));
  o.Set("spillHighWater", double(s.spill_high_water));
  o.Set("ringCapacity", double(s.ring_capacity));
  o.Set("spillCapacity", double(s.spill_capacity));
  o.Set("names", double(s.names));
  o.Set("namesOverflowed", double(s.names_overflowed));
  o.Set("ringsMapped", double(s.rings_mapped));
  o.Set("ringsReleased", double(s.rings_released));
  const std::string owner = OwnerLabel();
  o.Set("owner", owner.empty() ? env.Null() : Napi::String::New(env, owner));
  return o;
}

// names(fromId) → names of ids fromId..count, in id order.
Napi::Value JS_names(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  InternTable& table = Collector::instance().names();
  const uint32_t from = info[0].As<Napi::Number>().Uint32Value();
  const uint32_t count = table.count();
  Napi::Array out = Napi::Array::New(env);
  for (uint32_t id = std::max<uint32_t>(from, 1), i = 0; id <= count; ++id, ++i) {
    const std::string_view name = table.name(id);
    out.Set(i, Napi::String::New(env, name.data(), name.size()));
  }
  return out;
}

// recordStatus() → { path: string | null, error: string | null, events, names }
Napi::Value JS_recordStatus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const RecordStatus r = Collector::instance().record_status();
  Napi::Object o = Napi::Object::New(env);
  o.Set("path", r.path.empty() ? env.Null() : Napi::String::New(env, r.path));
  o.Set("error", r.error.empty() ? env.Null() : Napi::String::New(env, r.error));
  o.Set("events", double(r.events));
  o.Set("names", double(r.names));
  return o;
}

Napi::Value JS_intern(const Napi::CallbackInfo& info) {
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  return Napi::Number::New(info.Env(), intern_name(name));
}

// mark(nameId, token, isEnd) → whether the mark entered the ring
Napi::Value JS_mark(const Napi::CallbackInfo& info) {
  const bool ok = emit_mark(info[0].As<Napi::Number>().Uint32Value(),
                            uint64_t(info[1].As<Napi::Number>().Int64Value()), info[2].As<Napi::Boolean>());
  return Napi::Boolean::New(info.Env(), ok);
}

}  // namespace

void InitTracker(Napi::Env env, Napi::Object exports) {
  exports.Set("formatVersion", Napi::Number::New(env, kEventFormatVersion));
  exports.Set("recordBytes", Napi::Number::New(env, sizeof(Event)));
  Export<JS_enable>(env, exports, "enable");
  Export<JS_disable>(env, exports, "disable");
  Export<JS_isEnabled>(env, exports, "isEnabled");
  Export<JS_drain>(env, exports, "drain");
  Export<JS_drainInto>(env, exports, "drainInto");
  Export<JS_stats>(env, exports, "stats");
  Export<JS_names>(env, exports, "names");
  Export<JS_recordStatus>(env, exports, "recordStatus");
  Export<JS_intern>(env, exports, "intern");
  Export<JS_mark>(env, exports, "mark");
}

}  // namespace tt_alloc::js
