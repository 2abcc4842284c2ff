/* Marks one symbol-version requirement of an ELF64 shared library weak (VER_FLG_WEAK in .gnu.version_r), so that the
 * dynamic loader accepts a libstdc++ that lacks that version. Usage: weak-version FILE VERSION (e.g. GLIBCXX_3.4.32).
 * Exit 0 when the flag is set (or already was), 1 when the file has no such requirement, 2 on error. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: weak-version FILE VERSION\n"); return 2; }
    FILE *f = fopen(argv[1], "r+b");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    unsigned char *b = malloc(size);
    fseek(f, 0, SEEK_SET);
    if (!b || fread(b, 1, size, f) != (size_t)size) { fprintf(stderr, "%s: cannot read\n", argv[1]); return 2; }
    Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
    if (size < (long)sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64) {
        fprintf(stderr, "%s: not an ELF64 file\n", argv[1]); return 2;
    }
    Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_GNU_verneed) continue;
        const char *strings = (const char *)(b + sh[sh[i].sh_link].sh_offset);
        unsigned char *p = b + sh[i].sh_offset;
        for (;;) {
            Elf64_Verneed *vn = (Elf64_Verneed *)p;
            unsigned char *a = p + vn->vn_aux;
            for (int k = 0; k < vn->vn_cnt; k++) {
                Elf64_Vernaux *aux = (Elf64_Vernaux *)a;
                if (strcmp(strings + aux->vna_name, argv[2]) == 0) {
                    if (!(aux->vna_flags & VER_FLG_WEAK)) {
                        aux->vna_flags |= VER_FLG_WEAK;
                        long at = (long)((unsigned char *)&aux->vna_flags - b);
                        fseek(f, at, SEEK_SET);
                        fwrite(&aux->vna_flags, sizeof aux->vna_flags, 1, f);
                    }
                    fclose(f);
                    return 0;
                }
                if (!aux->vna_next) break;
                a += aux->vna_next;
            }
            if (!vn->vn_next) break;
            p += vn->vn_next;
        }
    }
    fclose(f);
    return 1;
}
