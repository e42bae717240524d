/*
 * An empty ICU common-data library, put in the Linux bundle in place of ICU's 30 MB
 * libicudata (see packaging/README.md, "Size"). Qt links ICU but this app uses none of what
 * needs ICU's data (collation, legacy codecs such as Shift_JIS, locale-specific case
 * mapping): text entry, rendering, UTF-8 and Latin-1 keep working, checked by the bundle's
 * smoke run. Same layout as ICU's own "stubdata" library: a header with a table of
 * contents that lists nothing. The spec compiles it with -DICU_ENTRY=icudtNN_dat, NN being
 * the ICU major version Qt was built with.
 */
#include <stdint.h>
typedef struct {
    uint16_t size; uint16_t reservedWord;
    uint8_t isBigEndian, charsetFamily, sizeofUChar, reservedByte;
    uint8_t dataFormat[4], formatVersion[4], dataVersion[4];
} UDataInfo;
typedef struct { const char *name; const void *data; } TocEntry;
typedef struct {
    uint16_t headerSize; uint8_t magic1, magic2;
    UDataInfo info; char padding[8];
    uint32_t count, reserved;
    TocEntry toc[1];
} ICU_Data_Header;
#ifndef ICU_ENTRY
#error define ICU_ENTRY
#endif
__attribute__((visibility("default"))) const ICU_Data_Header ICU_ENTRY = {
    32, 0xda, 0x27,
    { sizeof(UDataInfo), 0, 0, 0, 2, 0, {0x43, 0x6d, 0x6e, 0x44}, {1, 0, 0, 0}, {0, 0, 0, 0} },
    {0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, { {0, 0} }
};
