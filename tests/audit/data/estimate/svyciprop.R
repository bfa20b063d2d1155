# Reference intervals for test_audit_estimate_r: for every design of the input
# (rows design,stratum,N,y: one row per answered core record, y 1 when the
# answer is the value estimated), R survey's svyciprop(method = "beta") with
# lonely strata adjusted, or, where R gives no usable interval (estimate 0 or
# 1, design variance below 1e-12, no degrees of freedom), Clopper-Pearson
# (binom.test) on n answered records with x = floor(p * n + 1/2).
# Usage: Rscript svyciprop.R IN.csv OUT.csv; OUT rows: design,method,est,lower,upper
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust", warn = -1)
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c("character", "character", "numeric", "numeric"))
out <- NULL
for (id in unique(d$design)) {
  s <- d[d$design == id, ]
  n <- nrow(s)
  if (n == 1) {
    # svydesign refuses a design of one record: no interval from R
    p <- s$y[1]; v <- 0; df <- 0; lim <- c(NA, NA)
  } else {
    des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~N, data = s)
    ci <- svyciprop(~I(y == 1), des, method = "beta")
    p <- as.numeric(ci)
    v <- as.numeric(attr(ci, "var"))
    lim <- as.numeric(attr(ci, "ci"))
    df <- degf(des)
  }
  if (p <= 0 || p >= 1 || !is.finite(v) || v < 1e-12 || df == 0 || any(!is.finite(lim))) {
    x <- floor(p * n + 0.5)
    lim <- as.numeric(binom.test(x, n)$conf.int)
    method <- "exact"
  } else {
    method <- "beta"
  }
  out <- rbind(out, data.frame(design = id, method = method, est = sprintf("%.15g", p),
                               lower = sprintf("%.15g", lim[1]), upper = sprintf("%.15g", lim[2])))
}
write.csv(out, args[2], row.names = FALSE, quote = FALSE)
