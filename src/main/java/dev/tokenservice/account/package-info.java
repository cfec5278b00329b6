@NullMarked
package dev.tokenservice.account;

import org.jspecify.annotations.NullMarked;
