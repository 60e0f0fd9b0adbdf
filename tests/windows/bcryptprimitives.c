/* A stand-in for bcryptprimitives.dll, which Wine 8 lacks and Rust's std imports for ProcessPrng
 * (its source of random bytes, used for HashMap keys). Placed beside a test's runway.exe only, never
 * shipped: a real Windows has its own. It answers from advapi32's RtlGenRandom (SystemFunction036),
 * which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a 32-bit length; ProcessPrng a size_t. */
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
