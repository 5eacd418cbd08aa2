"""M/M/1 in SimPy 2 (Debian's python3-simpy, the SimPy.Simulation API): the reference the
bpfsim bench compares against. A source process creates one Customer process per arrival;
each customer requests the single server (a Resource), holds for its service time and
releases it -- the textbook SimPy 2 model of a FIFO queue.

usage: simpy_mm1.py CUSTOMERS RHO SEED
prints one JSON line: customers, wall seconds, mean sojourn (in units of the mean service time)
and the M/M/1 value 1 / (1 - rho) to check the model against.
"""
import json
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate


class Customer(Process):
    def visit(self, server, service_mean, stats):
        arrived = now()
        yield request, self, server
        yield hold, self, random.expovariate(1.0 / service_mean)
        yield release, self, server
        stats[0] += now() - arrived
        stats[1] += 1


class Source(Process):
    def generate(self, n, interarrival_mean, server, service_mean, stats):
        for _ in range(n):
            c = Customer()
            activate(c, c.visit(server, service_mean, stats))
            yield hold, self, random.expovariate(1.0 / interarrival_mean)


def main():
    n = int(float(sys.argv[1]))
    rho = float(sys.argv[2])
    random.seed(int(sys.argv[3]))
    service_mean = 1.0
    stats = [0.0, 0]
    start = time.perf_counter()
    initialize()
    server = Resource(capacity=1, monitored=False)
    src = Source()
    activate(src, src.generate(n, service_mean / rho, server, service_mean, stats))
    simulate(until=1e18)
    wall = time.perf_counter() - start
    print(json.dumps({
        "customers": stats[1],
        "seconds": wall,
        "meanSojourn": stats[0] / stats[1],
        "theory": service_mean / (1 - rho),
    }))


if __name__ == "__main__":
    main()
