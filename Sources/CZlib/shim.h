// zlib's gzip file API (gzopen, gzread, gzwrite, gzflush): the recording reader and writer use it for `.gz` files.
#include <zlib.h>
