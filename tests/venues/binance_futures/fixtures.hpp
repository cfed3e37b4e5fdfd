#pragma once
// Response bodies in the shapes exchanges.md §2 documents (JSON types as the venue sends them).
namespace tb::venues::binance_futures::fixtures {

inline constexpr const char* kExchangeInfo = R"({
  "timezone": "UTC", "serverTime": 1565613908500,
  "rateLimits": [ {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400},
                  {"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200} ],
  "exchangeFilters": [],
  "assets": [ {"asset":"USDT","marginAvailable":true,"autoAssetExchange":"0"} ],
  "symbols": [ {
      "symbol": "BTCUSDT", "pair": "BTCUSDT", "contractType": "PERPETUAL",
      "deliveryDate": 4133404800000, "onboardDate": 1569398400000, "status": "TRADING",
      "maintMarginPercent": "2.5000", "requiredMarginPercent": "5.0000",
      "baseAsset": "BTC", "quoteAsset": "USDT", "marginAsset": "USDT",
      "pricePrecision": 2, "quantityPrecision": 3, "baseAssetPrecision": 8, "quotePrecision": 8,
      "underlyingType": "COIN", "underlyingSubType": ["PoW"], "settlePlan": 0, "triggerProtect": "0.0500",
      "filters": [
        {"filterType":"PRICE_FILTER","minPrice":"556.80","maxPrice":"4529764","tickSize":"0.10"},
        {"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"1000","stepSize":"0.001"},
        {"filterType":"MARKET_LOT_SIZE","minQty":"0.001","maxQty":"120","stepSize":"0.001"},
        {"filterType":"MAX_NUM_ORDERS","limit":200},
        {"filterType":"MAX_NUM_ALGO_ORDERS","limit":10},
        {"filterType":"MIN_NOTIONAL","notional":"100"},
        {"filterType":"PERCENT_PRICE","multiplierUp":"1.0500","multiplierDown":"0.9500","multiplierDecimal":"4"}
      ],
      "OrderType": ["LIMIT","MARKET","STOP","STOP_MARKET","TAKE_PROFIT","TAKE_PROFIT_MARKET","TRAILING_STOP_MARKET"],
      "timeInForce": ["GTC","IOC","FOK","GTX"],
      "liquidationFee": "0.012500", "marketTakeBound": "0.05"
  }, {
      "symbol": "ETHUSDT_250328", "pair": "ETHUSDT", "contractType": "CURRENT_QUARTER",
      "deliveryDate": 1743148800000, "status": "TRADING",
      "baseAsset": "ETH", "quoteAsset": "USDT", "marginAsset": "USDT",
      "filters": [ {"filterType":"PRICE_FILTER","minPrice":"1","maxPrice":"100000","tickSize":"0.01"} ]
  }, {
      "symbol": "1000PEPEUSDT", "pair": "1000PEPEUSDT", "contractType": "PERPETUAL",
      "deliveryDate": 4133404800000, "status": "SETTLING",
      "baseAsset": "1000PEPE", "quoteAsset": "USDT", "marginAsset": "USDT",
      "filters": [
        {"filterType":"PRICE_FILTER","minPrice":"0.0000010","maxPrice":"200","tickSize":"0.0000001"},
        {"filterType":"LOT_SIZE","minQty":"1","maxQty":"80000000","stepSize":"1"},
        {"filterType":"MIN_NOTIONAL","notional":"5"}
      ]
  } ]
})";

inline constexpr const char* kTicker24h =
    R"({"symbol":"BTCUSDT","priceChange":"-94.99999800","priceChangePercent":"-95.960",
 "weightedAvgPrice":"0.29628482","lastPrice":"4.00000200","lastQty":"200.00000000",
 "openPrice":"99.00000000","highPrice":"100.00000000","lowPrice":"0.10000000",
 "volume":"8913.30000000","quoteVolume":"15.30000000","openTime":1499783499040,
 "closeTime":1499869899040,"firstId":28385,"lastId":28460,"count":76})";

inline constexpr const char* kKlines = R"([
  [1699999200000,"36500.10","36650.00","36400.00","36600.50","1234.567",1700002799999,"45123456.78",9876,"600.123","21900000.00","0"],
  [1700002800000,"36600.50","36700.00","36550.20","36690.00","890.001",1700006399999,"32600000.00",6543,"450.000","16500000.00","0"]
])";

inline constexpr const char* kAccount = R"({
  "feeTier": 0, "feeBurn": true, "canTrade": true, "canDeposit": true, "canWithdraw": true, "updateTime": 0,
  "multiAssetsMargin": false, "tradeGroupId": -1,
  "totalInitialMargin": "0.33683000", "totalMaintMargin": "0.02695000", "totalWalletBalance": "126.72469206",
  "totalUnrealizedProfit": "0.97947000", "totalMarginBalance": "127.70416206", "totalPositionInitialMargin": "0.33683000",
  "totalOpenOrderInitialMargin": "0.00000000", "totalCrossWalletBalance": "126.72469206", "totalCrossUnPnl": "0.97947000",
  "availableBalance": "126.72469206", "maxWithdrawAmount": "126.72469206",
  "assets": [
    {"asset":"USDT","walletBalance":"126.72469206","unrealizedProfit":"0.97947000","marginBalance":"127.70416206",
     "maintMargin":"0.02695000","initialMargin":"0.33683000","positionInitialMargin":"0.33683000",
     "openOrderInitialMargin":"0.00000000","crossWalletBalance":"126.72469206","crossUnPnl":"0.97947000",
     "availableBalance":"126.72469206","maxWithdrawAmount":"126.72469206","marginAvailable":true,"updateTime":1625474304765},
    {"asset":"BNB","walletBalance":"0.00000000","unrealizedProfit":"0.00000000","marginBalance":"0.00000000",
     "maintMargin":"0.00000000","initialMargin":"0.00000000","positionInitialMargin":"0.00000000",
     "openOrderInitialMargin":"0.00000000","crossWalletBalance":"0.00000000","crossUnPnl":"0.00000000",
     "availableBalance":"0.00000000","maxWithdrawAmount":"0.00000000","marginAvailable":true,"updateTime":0}
  ],
  "positions": [
    {"symbol":"BTCUSDT","initialMargin":"0.33683","maintMargin":"0.02695","unrealizedProfit":"0.97947000",
     "positionInitialMargin":"0.33683","openOrderInitialMargin":"0","leverage":"100","isolated":false,
     "entryPrice":"36500.1","maxNotional":"250000","bidNotional":"0","askNotional":"0","positionSide":"BOTH",
     "positionAmt":"-0.001","updateTime":1625474304765},
    {"symbol":"ETHUSDT","initialMargin":"0","maintMargin":"0","unrealizedProfit":"0.00000000",
     "positionInitialMargin":"0","openOrderInitialMargin":"0","leverage":"20","isolated":false,
     "entryPrice":"0.0","maxNotional":"250000","bidNotional":"0","askNotional":"0","positionSide":"BOTH",
     "positionAmt":"0.000","updateTime":0}
  ]
})";

// The common order object (§2.9) as the venue answers a new limit post-only order.
inline constexpr const char* kNewLimitOrder = R"({"orderId":22542179,"symbol":"BTCUSDT","status":"NEW","clientOrderId":"tb-key-test-1",
 "price":"25000.0","avgPrice":"0.00000","origQty":"0.004","executedQty":"0","cumQty":"0","cumQuote":"0",
 "timeInForce":"GTX","type":"LIMIT","origType":"LIMIT","reduceOnly":true,"closePosition":false,
 "side":"BUY","positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE",
 "priceProtect":false,"priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0,
 "updateTime":1700000000100})";

inline constexpr const char* kFilledMarketOrder =
    R"({"orderId":9007199254740993,"symbol":"BTCUSDT","status":"FILLED","clientOrderId":"robot-7.sell",
 "price":"0","avgPrice":"36601.20000","origQty":"0.010","executedQty":"0.010","cumQty":"0.010","cumQuote":"366.01200",
 "timeInForce":"GTC","type":"MARKET","origType":"MARKET","reduceOnly":false,"closePosition":false,
 "side":"SELL","positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE",
 "priceProtect":false,"priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0,
 "updateTime":1700000000200})";

inline constexpr const char* kCanceledOrder = R"({"orderId":22542179,"symbol":"BTCUSDT","status":"CANCELED","clientOrderId":"tb-key-test-1",
 "price":"25000.0","avgPrice":"0.00000","origQty":"0.004","executedQty":"0","cumQty":"0","cumQuote":"0",
 "timeInForce":"GTX","type":"LIMIT","origType":"LIMIT","reduceOnly":false,"closePosition":false,
 "side":"BUY","positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE",
 "priceProtect":false,"priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0,
 "time":1700000000100,"updateTime":1700000000900})";

inline constexpr const char* kOpenOrders = R"([{"orderId":1917641,"symbol":"BTCUSDT","status":"PARTIALLY_FILLED","clientOrderId":"abc",
 "price":"30000.00","avgPrice":"30000.00000","origQty":"0.010","executedQty":"0.004","cumQuote":"120.00000",
 "timeInForce":"GTC","type":"LIMIT","origType":"LIMIT","reduceOnly":false,"closePosition":false,"side":"SELL",
 "positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE","priceProtect":false,
 "time":1699999990000,"updateTime":1699999995000}])";

inline constexpr const char* kApiRestrictions =
    R"({"ipRestrict":false,"createTime":1698645219000,"enableReading":true,"enableWithdrawals":false,
 "enableInternalTransfer":false,"enableMargin":false,"enableFutures":true,
 "permitsUniversalTransfer":false,"enableVanillaOptions":false,"enableFixApiTrade":false,
 "enableFixReadOnly":true,"enableSpotAndMarginTrading":false,"enablePortfolioMarginTrading":true,
 "tradingAuthorityExpirationTime":1702252800000})";

}  // namespace tb::venues::binance_futures::fixtures
