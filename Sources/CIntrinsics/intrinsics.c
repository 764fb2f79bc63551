// CIntrinsics is headers (include/); SwiftPM builds a C target only with a source file.
#include "Prefetch.h"
#include "ByteMasks.h"
