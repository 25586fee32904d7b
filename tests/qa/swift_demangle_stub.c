/*
 * tests/qa/swift_demangle_stub.c — preloaded after the ASan runtime in
 * make sanitize, so the sanitized server starts at all.
 *
 * The postgres binary is not instrumented, so the runtime is preloaded and
 * initialises lazily, on the first malloc.  In Debian's postgres that
 * malloc comes from libgpg-error's constructor, inside bindtextdomain(),
 * while it holds glibc's gettext lock.  Initialising, the runtime looks up
 * an optional Swift demangler (dlsym "swift_demangle"), and the failed
 * lookup's dlerror() translates its message through gettext, which takes
 * the same lock: the lock state is lost, and the server hangs for ever in
 * its own bindtextdomain() call.  With this symbol present the lookup
 * succeeds, dlerror() has nothing to translate, and the runtime comes up
 * normally.  Returning NULL means "cannot demangle", so reports keep their
 * plain symbol names.
 */
#include <stddef.h>
#include <stdint.h>

char	   *swift_demangle(const char *mangled, size_t mangled_len, char *out,
						   size_t *out_len, uint32_t flags);

char *
swift_demangle(const char *mangled, size_t mangled_len, char *out,
			   size_t *out_len, uint32_t flags)
{
	(void) mangled;
	(void) mangled_len;
	(void) out;
	(void) out_len;
	(void) flags;
	return NULL;
}
