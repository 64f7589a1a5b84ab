import { defineConfig } from "vite";
import { consoleConfig } from "./vite.common";

export default defineConfig(consoleConfig("account"));
