package dev.tokenservice.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;

/**
 * Spellings of a number that Spring's or Java's number parsing reads as that number, but
 * that are not the ASCII decimal digits API.md means by one: hexadecimal, a sign or space
 * that is stripped, and the digits of other scripts.
 */
public enum NonDecimalSpelling {

	HEX((number) -> "0x" + Long.toHexString(number)),

	HASH_HEX((number) -> "%23" + Long.toHexString(number)),

	PLUS_SIGN((number) -> "%2B" + number),

	LEADING_SPACE((number) -> "%20" + number),

	TRAILING_SPACE((number) -> number + "%20"),

	FULLWIDTH_DIGITS((number) -> digitsFrom('\uFF10', number)),

	DEVANAGARI_DIGITS((number) -> digitsFrom('\u0966', number));

	private final LongFunction<String> spelling;

	NonDecimalSpelling(LongFunction<String> spelling) {
		this.spelling = spelling;
	}

	/** The number in this spelling, percent-encoded for a path segment or a query. */
	public String of(long number) {
		return this.spelling.apply(number);
	}

	/** A non-negative number in the digits of the block that starts at {@code zero}. */
	private static String digitsFrom(char zero, long number) {
		StringBuilder digits = new StringBuilder();
		Long.toString(number).chars().forEach((digit) -> digits.append((char) (zero + digit - '0')));
		return URLEncoder.encode(digits.toString(), StandardCharsets.UTF_8);
	}

}
