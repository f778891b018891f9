/*
 * Helpers shared by the rpcext tests and benchmark.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "rpcext_test_util.h"

uint8_t *rt_read_file(TALLOC_CTX *mem_ctx, const char *path, size_t *size_r)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (f == NULL) {
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = talloc_array(mem_ctx, uint8_t, len > 0 ? (size_t)len : 1);
	if (buf != NULL && len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		TALLOC_FREE(buf);
	}
	fclose(f);
	if (buf != NULL) {
		*size_r = (size_t)len;
	}
	return buf;
}

static bool rt_u32(const uint8_t *p, size_t size, size_t *off, uint32_t *v)
{
	if (size - *off < 4) {
		return false;
	}
	*v = (uint32_t)p[*off] | ((uint32_t)p[*off + 1] << 8) |
	     ((uint32_t)p[*off + 2] << 16) | ((uint32_t)p[*off + 3] << 24);
	*off += 4;
	return true;
}

static bool rt_array(const uint8_t *p, size_t size, size_t *off,
		     const uint8_t **data, uint32_t *count)
{
	if (!rt_u32(p, size, off, count) || *count > size - *off) {
		return false;
	}
	*data = p + *off;
	*off += *count;
	*off = (*off + 3) & ~(size_t)3;	/* NDR alignment of the next uint32 */
	return *off <= size;
}

bool rt_ecdorpcext2_in_pull(const uint8_t *stub, size_t size,
			    struct rt_ecdorpcext2_in *r)
{
	size_t off = 20;	/* CXH context handle */
	uint32_t max_in = 0, max_aux = 0;

	if (size < off) {
		return false;
	}
	return rt_u32(stub, size, &off, &r->pulFlags) &&
	       rt_array(stub, size, &off, &r->rgbIn, &max_in) &&
	       rt_u32(stub, size, &off, &r->cbIn) && r->cbIn == max_in &&
	       rt_u32(stub, size, &off, &r->pcbOut) &&
	       rt_array(stub, size, &off, &r->rgbAuxIn, &max_aux) &&
	       rt_u32(stub, size, &off, &r->cbAuxIn) && r->cbAuxIn == max_aux &&
	       rt_u32(stub, size, &off, &r->pcbAuxOut) && off == size;
}

bool rt_samba_lzx_load(const char *path, struct rt_samba_lzx *r)
{
	memset(r, 0, sizeof(*r));
	r->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (r->handle == NULL) {
		fprintf(stderr, "samba lzxpress unavailable: %s\n", dlerror());
		return false;
	}
	/* POSIX: a data pointer from dlsym may be converted to a function pointer */
	*(void **)&r->compress = dlsym(r->handle, "lzxpress_compress");
	*(void **)&r->decompress = dlsym(r->handle, "lzxpress_decompress");
	if (r->compress == NULL || r->decompress == NULL) {
		fprintf(stderr, "samba lzxpress symbols missing\n");
		rt_samba_lzx_unload(r);
		return false;
	}
	return true;
}

void rt_samba_lzx_unload(struct rt_samba_lzx *r)
{
	if (r->handle != NULL) {
		dlclose(r->handle);
	}
	memset(r, 0, sizeof(*r));
}

uint32_t rt_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}
