// Linux's epoll and timerfd, which Swift's Glibc module leaves out: the load generator's event loop.
#include <sys/epoll.h>
#include <sys/timerfd.h>
