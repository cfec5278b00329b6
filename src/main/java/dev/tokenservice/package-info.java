@NullMarked
package dev.tokenservice;

import org.jspecify.annotations.NullMarked;
