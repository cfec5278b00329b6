# PASS/FAIL bookkeeping shared by the check scripts (scripts/two-instances.sh, reliability/*.sh).
# Source it; call check for each expectation and finish as the last command.
passed=0
failed=0

# check NAME ACTUAL EXPECTED
check() {
	if [ "$2" = "$3" ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1 (expected $3, got $2)"
		failed=$((failed + 1))
	fi
}

# finish: the summary line and the exit code (a run that checked nothing failed too).
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
