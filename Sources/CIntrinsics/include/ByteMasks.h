#ifndef CLEARANCE_BYTEMASKS_H
#define CLEARANCE_BYTEMASKS_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Four masks of the 16 bytes at `bytes` (bit i for byte i): commas in bits 0-15, line feeds in
/// 16-31, quotes and bytes from 0x80 up in 32-47, NUL bytes in 48-63.
///
/// One SSE2 compare and `pmovmskb` a mask, which Swift's SIMD types have no spelling for; the
/// loads may start anywhere (unaligned) but must stay within the buffer.
static inline uint64_t clearance_csv_masks16(const uint8_t *bytes) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)bytes);
    uint64_t commas = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
    uint64_t feeds = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
    uint64_t special = (uint16_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), v));
    uint64_t nuls = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()));
    return commas | feeds << 16 | special << 32 | nuls << 48;
#else
    uint64_t masks = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t b = bytes[i];
        if (b == ',') masks |= (uint64_t)1 << i;
        if (b == '\n') masks |= (uint64_t)1 << (16 + i);
        if (b == '"' || b >= 0x80) masks |= (uint64_t)1 << (32 + i);
        if (b == 0) masks |= (uint64_t)1 << (48 + i);
    }
    return masks;
#endif
}

/// The bytes of the 16 at `bytes` that a JSON string escapes (bit i for byte i): control
/// characters (below 0x20), quotes and backslashes.
static inline uint32_t clearance_json_escapes16(const uint8_t *bytes) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)bytes);
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    return (uint16_t)_mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash)));
#else
    uint32_t mask = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t b = bytes[i];
        if (b < 0x20 || b == '"' || b == '\\') mask |= (uint32_t)1 << i;
    }
    return mask;
#endif
}

#endif
