package org.kadshare.simulations;

import java.util.List;
import org.kadshare.overlay.dht.AddressDiversity;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.simulations.scenario.DhtDriver;
import org.kadshare.simulations.scenario.DhtNodeDriver;

/** The DHT cores {@link Simulate} can drive. */
final class Drivers {
    private Drivers() {
    }

    static DhtDriver<DhtNode> dhtNode() {
        return DhtNodeDriver.withDefaults();
    }

    /**
     * The real core with the lookup defenses the flags ask for, removing those flags from
     * {@code args}: {@code --lookup-paths N} (disjoint paths, default 2) and
     * {@code --diversity default|strict|off} (the subnet limit; off = none, for comparison).
     */
    static DhtDriver<DhtNode> dhtNode(List<String> args) {
        DhtConfig config = DhtConfig.defaults();
        for (int i = 0; i < args.size(); ) {
            String flag = args.get(i);
            if ((flag.equals("--lookup-paths") || flag.equals("--diversity")) && i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            if (flag.equals("--lookup-paths")) {
                try {
                    config = config.withLookupPaths(Integer.parseInt(args.get(i + 1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--lookup-paths needs a whole number: " + args.get(i + 1), e);
                }
            } else if (flag.equals("--diversity")) {
                config = config.withDiversity(switch (args.get(i + 1)) {
                    case "default" -> AddressDiversity.defaults();
                    case "strict" -> AddressDiversity.strict();
                    case "off" -> AddressDiversity.unlimited();
                    default -> throw new IllegalArgumentException("--diversity must be default, strict or off: "
                            + args.get(i + 1));
                });
            } else {
                i++;
                continue;
            }
            args.remove(i);
            args.remove(i);
        }
        return new DhtNodeDriver(config);
    }
}
