package dev.vigil.alerts;

/**
 * A destination or rule setting that breaks a rule of its own (a URL that is not absolute http(s),
 * a malformed address, a digest window out of range): permanent, the caller's to fix. The API
 * answers it with 400 naming {@link #field()}.
 */
public final class InvalidAlertSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the setting at fault as the API names it ({@code url}, {@code recipients[1]},
     *     {@code filters.severity})
     * @param detail the value, the rule it breaks and, when known, the fix
     */
    public InvalidAlertSettingException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
