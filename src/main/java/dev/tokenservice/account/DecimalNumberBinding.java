package dev.tokenservice.account;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Reads every {@code long} and {@code int} path variable and query parameter as ASCII
 * decimal digits with an optional minus. Spring's own number parsing also takes
 * {@code 0x10}, {@code #10}, {@code +16} and surrounding spaces, and Java's the digits of
 * other scripts (fullwidth {@code １６}), so a URL could name a user its text does not
 * show. Anything else, the empty value included, is a type mismatch: 400 "must be a whole
 * number" from the API's exception handler. Only for this package's controllers, the ones
 * with numbers in their URLs: the binder is made for every argument of every request, and
 * the token checks need none of this.
 */
@ControllerAdvice(basePackageClasses = DecimalNumberBinding.class)
class DecimalNumberBinding {

	private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+");

	// Editors rather than a Converter: when a converter refuses a value, the binder
	// falls back to its default number editor, which parses it the lenient way after
	// all.
	@InitBinder
	void decimalNumbersOnly(WebDataBinder binder) {
		DecimalEditor longs = new DecimalEditor(Long::valueOf);
		DecimalEditor ints = new DecimalEditor(Integer::valueOf);
		binder.registerCustomEditor(long.class, longs);
		binder.registerCustomEditor(Long.class, longs);
		binder.registerCustomEditor(int.class, ints);
		binder.registerCustomEditor(Integer.class, ints);
	}

	private static final class DecimalEditor extends PropertyEditorSupport {

		private final Function<String, Number> parse;

		DecimalEditor(Function<String, Number> parse) {
			this.parse = parse;
		}

		@Override
		public void setAsText(String text) {
			if (!DECIMAL.matcher(text).matches()) {
				throw new IllegalArgumentException("Not a decimal number");
			}
			// Out of range: a NumberFormatException, which is an IllegalArgumentException
			// too.
			setValue(this.parse.apply(text));
		}

	}

}
