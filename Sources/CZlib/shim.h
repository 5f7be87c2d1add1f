// zlib: the gzip file API (gzopen, gzread...) for recordings, inflate for the payload decoders.
#include <zlib.h>
