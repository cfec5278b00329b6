@NullMarked
package dev.tokenservice.security;

import org.jspecify.annotations.NullMarked;
