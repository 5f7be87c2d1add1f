// Wide-character ncurses for Swift, plus accessors for what Swift cannot import
// (macros with arguments or casts, and the globals Swift 6 rejects). See shared/DESIGN.md.
#ifndef MQDASH_CNCURSESW_SHIM_H
#define MQDASH_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

static inline WINDOW *mqd_stdscr(void) { return stdscr; }
static inline WINDOW *mqd_curscr(void) { return curscr; }
static inline int mqd_colors(void) { return COLORS; }
static inline int mqd_color_pairs(void) { return COLOR_PAIRS; }
static inline int mqd_lines(void) { return LINES; }
static inline int mqd_cols(void) { return COLS; }
static inline void mqd_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }

static inline attr_t mqd_a_normal(void) { return A_NORMAL; }
static inline attr_t mqd_a_bold(void) { return A_BOLD; }
static inline attr_t mqd_a_dim(void) { return A_DIM; }
static inline attr_t mqd_a_italic(void) { return A_ITALIC; }
static inline attr_t mqd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t mqd_a_reverse(void) { return A_REVERSE; }

static inline int mqd_key_f(int n) { return KEY_F(n); }
static inline int mqd_key_f0(void) { return KEY_F0; }

static inline mmask_t mqd_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t mqd_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t mqd_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t mqd_button5_pressed(void) { return BUTTON5_PRESSED; }

/// setcchar with an extended (int) colour pair, so that more than 32767 pairs work.
static inline int mqd_setcchar(cchar_t *cell, const wchar_t *text, attr_t attributes, int pair) {
    return setcchar(cell, text, attributes, 0, &pair);
}

/// Is this terminfo entry able to address the cursor (TERM=dumb cannot)?
static inline int mqd_has_cursor_addressing(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/// True when the current LC_CTYPE encodes UTF-8.
static inline int mqd_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

#endif
