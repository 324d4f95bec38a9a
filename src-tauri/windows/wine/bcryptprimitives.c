/* Test-only stand-in for Windows' bcryptprimitives.dll, for Debian's Wine 8.0 which lacks it.
 * Rust's std (1.78+) imports ProcessPrng from it for random numbers; Windows 10 and later ship
 * the real DLL, so nothing of this is ever installed on a user's PC. `cargo xtask` compiles it
 * with mingw-w64 into the test Wine prefix's system32. */
#include <windows.h>

/* RtlGenRandom, exported by advapi32 under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
