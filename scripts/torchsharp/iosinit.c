/* std::ios_base_library_init() for libstdc++ older than GCC 13's (GLIBCXX_3.4.32): there the library initializes
 * iostreams itself, so the call TorchSharp's native library makes has nothing to do. */
void _ZSt21ios_base_library_initv(void) {}
