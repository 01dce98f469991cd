// Failures of the simulated runtime. The N-API layer turns them into JS errors carrying `code`.
#pragma once
#include <stdexcept>
#include <string>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class SimError : public std::runtime_error {
 public:
  SimError(const char* code, const std::string& message) : std::runtime_error(message), code_(code) {}
  const char* code() const noexcept { return code_; }

 private:
  const char* code_;  // a string literal: ERR_SIM_OUT_OF_MEMORY, ERR_SIM_CB_CLASH, ...
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
