import { describe, expect, it } from 'vitest';
import { rate } from '../src/analysis/rating.js';

describe("rate (seed §监控指标映射 性能影响等级划分)", () => {
  it("grades the seed's measured tools by its table (实际测量验证)", () => {
    expect(rate(69.46, 35.19).grade).toBe('heavy'); // trace_conntrack.py
    expect(rate(-6.9, 0.33).grade).toBe('excellent'); // system_network_icmp_rtt.py
    // qdisc_drop_trace.py: the seed's example column says 良好, its own bands say 中等.
    expect(rate(27.56, 12.74).grade).toBe('medium');
  });

  it('takes the worse of the two changes', () => {
    expect(rate(3, 30).grade).toBe('heavy');
    expect(rate(60, 0).grade).toBe('heavy');
    expect(rate(10, 1).grade).toBe('good');
    expect(rate(1, 5).grade).toBe('good');
    expect(rate(4.9, 1.9).grade).toBe('excellent');
  });

  it('each band includes its lower bound: 5% latency is good, 50% still medium, 2% loss good, 25% medium', () => {
    expect(rate(5, 0).grade).toBe('good');
    expect(rate(20, 0).grade).toBe('medium');
    expect(rate(50, 0).grade).toBe('medium');
    expect(rate(50.01, 0).grade).toBe('heavy');
    expect(rate(0, 2).grade).toBe('good');
    expect(rate(0, 10).grade).toBe('medium');
    expect(rate(0, 25).grade).toBe('medium');
    expect(rate(0, 25.01).grade).toBe('heavy');
  });

  it('improvements count as no change', () => {
    expect(rate(-40, -30).grade).toBe('excellent');
  });

  it('says which change decided and both bands', () => {
    const r = rate(27.56, 12.74);
    expect(r.reason).toBe('latency +27.56% (medium: 20-50%), throughput -12.74% (medium: loss 10-25%); both agree: medium');
    expect(rate(3, 30).reason).toMatch(/the throughput change decides: heavy$/);
    expect(rate(60, 1).reason).toMatch(/the latency change decides: heavy$/);
  });
});
