// One bounded call over the system zlib, so Swift needs no z_stream juggling: the raw DEFLATE
// data of a ZIP entry (.docx, .xlsx) or the zlib data of a PDF stream, inflated into a buffer
// that is never exceeded, whatever the input claims.
#ifndef ZHAOCAI_CZLIB_SHIM_H
#define ZHAOCAI_CZLIB_SHIM_H

#include <zlib.h>
#include <string.h>

/// Inflates `in` into `out` (at most `cap` bytes). `window_bits` is -15 for raw DEFLATE, 15 for
/// zlib data. Returns the bytes written, -1 for data that is not DEFLATE, -2 when the output
/// would pass `cap`, -3 for data that ends before its last block.
static inline long zc_inflate(const unsigned char *in, size_t in_len, unsigned char *out,
                              size_t cap, int window_bits) {
  z_stream s;
  memset(&s, 0, sizeof s);
  if (inflateInit2(&s, window_bits) != Z_OK) return -1;
  s.next_in = (unsigned char *)in;
  s.avail_in = (uInt)(in_len > 0x7fffffff ? 0x7fffffff : in_len);
  s.next_out = out;
  s.avail_out = (uInt)(cap > 0x7fffffff ? 0x7fffffff : cap);
  int status = inflate(&s, Z_FINISH);
  long written = (long)s.total_out;
  int more_room = s.avail_out == 0;
  inflateEnd(&s);
  if (status == Z_STREAM_END) return written;
  if (status == Z_BUF_ERROR && more_room) return -2;
  if (status == Z_BUF_ERROR) return -3;
  return -1;
}

#endif
