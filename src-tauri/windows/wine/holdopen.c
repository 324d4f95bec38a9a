/* Test helper: holds a file open the way Excel or WPS does while a workbook is open — others
 * may read it, nobody may write, rename or delete it — until a second file appears (or 120 s
 * pass). Prints READY once the file is held. Used under Wine, which enforces Windows' sharing
 * rules, to test what 民情通 says when a coordinator exports over a workbook still open. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3) {
        fwprintf(stderr, L"usage: holdopen FILE RELEASE_SIGNAL_FILE\n");
        return 2;
    }
    HANDLE h = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "cannot open: %lu\n", GetLastError());
        return 1;
    }
    printf("READY\n");
    fflush(stdout);
    for (int i = 0; i < 2400; i++) {
        if (GetFileAttributesW(argv[2]) != INVALID_FILE_ATTRIBUTES)
            break;
        Sleep(50);
    }
    CloseHandle(h);
    return 0;
}
