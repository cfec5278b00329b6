@NullMarked
package dev.tokenservice.web;

import org.jspecify.annotations.NullMarked;
