@NullMarked
package dev.tokenservice.config;

import org.jspecify.annotations.NullMarked;
