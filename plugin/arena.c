/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One bump allocator for what lives exactly as long as the capture file:
 * connections, their HTTP state and records, endpoint text. Nothing is
 * freed on its own, so a record costs its size (malloc adds 16 bytes and
 * wmem's file scope about as much) and a pointer increment (a wmem or
 * malloc call costs 60 to 150 instructions, on every HTTP segment).
 * tlp_arena_free_all() runs from the file's cleanup routine (store.c).
 */
#include "tcplife-plugin.h"

#define BLOCK_SIZE (256u * 1024u)

typedef struct block {
    struct block *prev;
    size_t size; /* keeps the payload 16-aligned after the header */
} block;

static block *blocks;
char *tlp_arena_cur, *tlp_arena_end;

void *tlp_arena_alloc_slow(size_t size)
{
    gboolean own = TLP_ARENA_EXACT || size > BLOCK_SIZE / 4;
    size_t payload = own ? size : BLOCK_SIZE;
    /* Not g_malloc0: a block-sized memset costs more than zeroing each
     * record as it is handed out (tlp_arena_alloc). */
    block *b = g_malloc(sizeof(block) + payload);
    b->prev = blocks;
    b->size = payload;
    blocks = b;
    char *p = (char *)(b + 1);
    memset(p, 0, size);
    if (own) /* a large record gets a block of its own; the current one goes on */
        return p;
    tlp_arena_cur = p + size;
    tlp_arena_end = p + payload;
    return p;
}

char *tlp_arena_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = tlp_arena_alloc(n); /* zeroed first: the cost of one path */
    memcpy(p, s, n);
    return p;
}

void tlp_arena_free_all(void)
{
    while (blocks) {
        block *prev = blocks->prev;
        g_free(blocks);
        blocks = prev;
    }
    tlp_arena_cur = tlp_arena_end = NULL;
}
