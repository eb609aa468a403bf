package dev.vigil;

/** Entry point placeholder while the build is assembled. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("vigil");
    }
}
