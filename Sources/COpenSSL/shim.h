// Thin inline helpers over the system OpenSSL 3 libcrypto, so that Swift needs no macros and
// no pointer juggling for the national algorithms (SM2, SM3, SM4) and the reference throughput.
#ifndef ZHAOCAI_COPENSSL_SHIM_H
#define ZHAOCAI_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <string.h>

// The SM2 distinguishing identifier of GB/T 32918 / GM/T 0009 when none is agreed.
static const char zc_sm2_default_id[] = "1234567812345678";

static inline int zc_digest(const EVP_MD *md, const void *data, size_t len, unsigned char *out) {
  unsigned int outLen = 0;
  return EVP_Digest(data, len, out, &outLen, md, NULL);
}

static inline const EVP_MD *zc_sm3(void) { return EVP_sm3(); }
static inline const EVP_MD *zc_sha256(void) { return EVP_sha256(); }

/// A new SM2 key pair, or NULL.
static inline EVP_PKEY *zc_sm2_generate(void) {
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
  EVP_PKEY *key = NULL;
  if (ctx == NULL) return NULL;
  if (EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_generate(ctx, &key) <= 0) key = NULL;
  EVP_PKEY_CTX_free(ctx);
  return key;
}

/// The 32-byte private scalar of an SM2 key.
static inline int zc_sm2_private_bytes(const EVP_PKEY *key, unsigned char out[32]) {
  BIGNUM *d = NULL;
  int ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) > 0 &&
           BN_bn2binpad(d, out, 32) == 32;
  BN_clear_free(d);
  return ok;
}

/// The 65-byte uncompressed public point (04 || x || y) of an SM2 key.
static inline int zc_sm2_public_bytes(const EVP_PKEY *key, unsigned char out[65]) {
  size_t len = 0;
  return EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, out, 65, &len) > 0 &&
         len == 65;
}

static inline EVP_PKEY *zc_sm2_from_params(OSSL_PARAM_BLD *bld) {
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
  EVP_PKEY *key = NULL;
  int selection = EVP_PKEY_PUBLIC_KEY;
  if (params != NULL && ctx != NULL && EVP_PKEY_fromdata_init(ctx) > 0) {
    if (OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_PRIV_KEY) != NULL) selection = EVP_PKEY_KEYPAIR;
    if (EVP_PKEY_fromdata(ctx, &key, selection, params) <= 0) key = NULL;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return key;
}

/// An SM2 public key from its 65-byte uncompressed point; NULL if the point is not on the curve.
static inline EVP_PKEY *zc_sm2_public_from_bytes(const unsigned char *pub, size_t len) {
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  EVP_PKEY *key = NULL;
  if (bld == NULL) return NULL;
  if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, len))
    key = zc_sm2_from_params(bld);
  OSSL_PARAM_BLD_free(bld);
  if (key != NULL) {
    EVP_PKEY_CTX *check = EVP_PKEY_CTX_new(key, NULL);
    int ok = check != NULL && EVP_PKEY_public_check(check) > 0;
    EVP_PKEY_CTX_free(check);
    if (!ok) { EVP_PKEY_free(key); key = NULL; }
  }
  return key;
}

/// An SM2 key pair from its private scalar and public point.
static inline EVP_PKEY *zc_sm2_private_from_bytes(const unsigned char priv[32],
                                                  const unsigned char pub[65]) {
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  BIGNUM *d = BN_bin2bn(priv, 32, NULL);
  EVP_PKEY *key = NULL;
  if (bld != NULL && d != NULL &&
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, 65))
    key = zc_sm2_from_params(bld);
  BN_clear_free(d);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

static inline EVP_MD_CTX *zc_sm2_digest_context(EVP_PKEY *key, int sign) {
  EVP_MD_CTX *mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new(key, NULL);
  if (mctx == NULL || pctx == NULL ||
      EVP_PKEY_CTX_set1_id(pctx, zc_sm2_default_id, 16) <= 0) {
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_CTX_free(pctx);
    return NULL;
  }
  EVP_MD_CTX_set_pkey_ctx(mctx, pctx);  // mctx now owns pctx
  int ok = sign ? EVP_DigestSignInit(mctx, NULL, EVP_sm3(), NULL, key)
                : EVP_DigestVerifyInit(mctx, NULL, EVP_sm3(), NULL, key);
  if (ok <= 0) {
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_CTX_free(pctx);
    return NULL;
  }
  return mctx;
}

/// SM2 signature (DER) with SM3 and the default distinguishing ID; returns its length or -1.
static inline long zc_sm2_sign(EVP_PKEY *key, const unsigned char *msg, size_t msgLen,
                               unsigned char *sig, size_t sigCap) {
  EVP_MD_CTX *mctx = zc_sm2_digest_context(key, 1);
  size_t len = sigCap;
  long result = -1;
  if (mctx == NULL) return -1;
  if (EVP_DigestSign(mctx, sig, &len, msg, msgLen) > 0) result = (long)len;
  EVP_PKEY_CTX *pctx = EVP_MD_CTX_get_pkey_ctx(mctx);
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  return result;
}

/// 1 if the SM2 signature verifies, 0 otherwise.
static inline int zc_sm2_verify(EVP_PKEY *key, const unsigned char *msg, size_t msgLen,
                                const unsigned char *sig, size_t sigLen) {
  EVP_MD_CTX *mctx = zc_sm2_digest_context(key, 0);
  int ok = 0;
  if (mctx == NULL) return 0;
  ok = EVP_DigestVerify(mctx, sig, sigLen, msg, msgLen) == 1;
  EVP_PKEY_CTX *pctx = EVP_MD_CTX_get_pkey_ctx(mctx);
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  ERR_clear_error();
  return ok;
}

/// SM2 public-key encryption (GM/T 0003.4, DER C1C3C2); returns the length or -1.
static inline long zc_sm2_crypt(EVP_PKEY *key, int encrypt, const unsigned char *in, size_t inLen,
                                unsigned char *out, size_t outCap) {
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
  size_t len = outCap;
  long result = -1;
  if (ctx == NULL) return -1;
  int ok = encrypt ? EVP_PKEY_encrypt_init(ctx) : EVP_PKEY_decrypt_init(ctx);
  if (ok > 0) {
    ok = encrypt ? EVP_PKEY_encrypt(ctx, out, &len, in, inLen)
                 : EVP_PKEY_decrypt(ctx, out, &len, in, inLen);
    if (ok > 0) result = (long)len;
  }
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  return result;
}

/// SM4 in counter mode over `len` bytes with a 16-byte initial counter block.
static inline int zc_sm4_ctr(const unsigned char key[16], const unsigned char iv[16],
                             const unsigned char *in, size_t len, unsigned char *out) {
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  int outLen = 0, finalLen = 0, ok = 0;
  if (ctx == NULL) return 0;
  ok = EVP_EncryptInit_ex(ctx, EVP_sm4_ctr(), NULL, key, iv) > 0 &&
       EVP_EncryptUpdate(ctx, out, &outLen, in, (int)len) > 0 &&
       EVP_EncryptFinal_ex(ctx, out + outLen, &finalLen) > 0 &&
       (size_t)(outLen + finalLen) == len;
  EVP_CIPHER_CTX_free(ctx);
  return ok;
}

/// One SM4 block in ECB mode (the known-answer test of GB/T 32907).
static inline int zc_sm4_encrypt_block(const unsigned char key[16], const unsigned char in[16],
                                       unsigned char out[16]) {
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  int outLen = 0, ok = 0;
  if (ctx == NULL) return 0;
  ok = EVP_EncryptInit_ex(ctx, EVP_sm4_ecb(), NULL, key, NULL) > 0 &&
       EVP_CIPHER_CTX_set_padding(ctx, 0) > 0 &&
       EVP_EncryptUpdate(ctx, out, &outLen, in, 16) > 0 && outLen == 16;
  EVP_CIPHER_CTX_free(ctx);
  return ok;
}

/// HMAC with the given digest; writes the digest-sized tag.
static inline int zc_hmac(const EVP_MD *md, const unsigned char *key, size_t keyLen,
                          const unsigned char *data, size_t len, unsigned char *out) {
  unsigned int outLen = 0;
  return HMAC(md, key, (int)keyLen, data, len, out, &outLen) != NULL;
}

/// A streaming hash: new/update/final over EVP_MD_CTX, for SM3 over whole envelopes.
static inline EVP_MD_CTX *zc_hash_new(const EVP_MD *md) {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (ctx != NULL && EVP_DigestInit_ex(ctx, md, NULL) <= 0) { EVP_MD_CTX_free(ctx); ctx = NULL; }
  return ctx;
}
static inline int zc_hash_update(EVP_MD_CTX *ctx, const void *data, size_t len) {
  return EVP_DigestUpdate(ctx, data, len);
}
static inline int zc_hash_final(EVP_MD_CTX *ctx, unsigned char *out) {
  unsigned int len = 0;
  return EVP_DigestFinal_ex(ctx, out, &len);
}

/// A streaming HMAC (for HMAC-SM3 over a segment without copying it).
static inline EVP_MAC_CTX *zc_hmac_new(const char *digest, const unsigned char *key, size_t keyLen) {
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
  OSSL_PARAM params[2];
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
  params[1] = OSSL_PARAM_construct_end();
  EVP_MAC_free(mac);
  if (ctx != NULL && EVP_MAC_init(ctx, key, keyLen, params) <= 0) { EVP_MAC_CTX_free(ctx); ctx = NULL; }
  return ctx;
}
static inline int zc_hmac_update(EVP_MAC_CTX *ctx, const void *data, size_t len) {
  return EVP_MAC_update(ctx, data, len);
}
static inline int zc_hmac_final(EVP_MAC_CTX *ctx, unsigned char *out, size_t cap) {
  size_t len = 0;
  return EVP_MAC_final(ctx, out, &len, cap) > 0 ? (int)len : -1;
}

/// The reference AES-256-GCM of the system OpenSSL, as `openssl speed -evp` times it: the key
/// is set once, then each block gets a new IV, one update and the tag.
static inline int zc_reference_aes_init(EVP_CIPHER_CTX *ctx, const unsigned char key[32]) {
  return EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, NULL) > 0;
}

static inline int zc_reference_aes_block(EVP_CIPHER_CTX *ctx, const unsigned char iv[12],
                                         const unsigned char *in, size_t len, unsigned char *out,
                                         unsigned char tag[16]) {
  int outLen = 0, finalLen = 0;
  return EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, iv) > 0 &&
         EVP_EncryptUpdate(ctx, out, &outLen, in, (int)len) > 0 &&
         EVP_EncryptFinal_ex(ctx, out + outLen, &finalLen) > 0 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) > 0;
}

static inline const char *zc_openssl_version(void) { return OpenSSL_version(OPENSSL_VERSION); }

#endif
