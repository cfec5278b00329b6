@NullMarked
package dev.tokenservice.token;

import org.jspecify.annotations.NullMarked;
