// The libraries the graph page (plugins/kb/assets/graph/graph.js) uses, exposed as one global.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import Sigma from "sigma";
import { EdgeLineProgram } from "sigma/rendering";

window.KBGraphVendor = { Graph, Sigma, EdgeLineProgram, forceAtlas2, FA2Layout };
