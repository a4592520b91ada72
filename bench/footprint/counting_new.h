// Live bytes allocated through the global operator new of this program (counting_new.cpp).
#pragma once

#include <cstddef>

namespace wasmio::bench {

std::size_t host_live_bytes() noexcept;
std::size_t host_live_blocks() noexcept;

}  // namespace wasmio::bench
