package dev.vigil.api.internal;

import java.util.Comparator;

/**
 * Natural order of control ids: runs of digits compare as numbers, so {@code 4.1} comes before
 * {@code 13.10} and {@code AC-2} before {@code AC-2(3)} before {@code AC-12}.
 */
enum ControlOrder implements Comparator<String> {
    INSTANCE;

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = digitsEnd(a, i);
                int ej = digitsEnd(b, j);
                int c = Long.compare(Long.parseLong(a, i, ei, 10), Long.parseLong(b, j, ej, 10));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int digitsEnd(String s, int from) {
        int e = from;
        while (e < s.length() && Character.isDigit(s.charAt(e)) && e - from < 18) {
            e++;
        }
        return e;
    }
}
