#include "c_api.h"

#include <cstring>
#include <string_view>

#include "producer.hpp"

static_assert(sizeof(tt_alloc_event) == sizeof(tt_alloc::Event));
static_assert(offsetof(tt_alloc_event, aux) == offsetof(tt_alloc::Event, aux));
static_assert(offsetof(tt_alloc_event, flags) == offsetof(tt_alloc::Event, flags));

extern "C" {

uint32_t tt_alloc_format_version(void) { return tt_alloc::kEventFormatVersion; }

int tt_alloc_enabled(void) { return tt_alloc::tracking_enabled() ? 1 : 0; }

int tt_alloc_push(tt_alloc_event* event) {
  if (event == nullptr || event->kind == 0 || event->kind > tt_alloc::kMaxEventKind) return -1;
  tt_alloc::Event e;
  std::memcpy(&e, event, sizeof e);
  return tt_alloc::push(e) ? 1 : 0;
}

uint32_t tt_alloc_intern(const char* name, size_t length) {
  if (name == nullptr) return 0;
  return tt_alloc::intern_name(std::string_view(name, length));
}

}  // extern "C"
